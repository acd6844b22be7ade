package kz.baga.service.error;

/** The request names something that does not exist (and whose existence the caller may know about). */
public class NotFoundException extends ServiceException {

    public NotFoundException(String detail) {
        super(detail);
    }
}
