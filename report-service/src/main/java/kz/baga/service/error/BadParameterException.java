package kz.baga.service.error;

/** A request parameter (or form field) that is malformed or names nothing the data knows. */
public class BadParameterException extends ServiceException {

    private final String parameter;

    public BadParameterException(String parameter, String detail) {
        super(detail);
        this.parameter = parameter;
    }

    /** The parameter's name, as the client sent it. */
    public String parameter() {
        return parameter;
    }
}
