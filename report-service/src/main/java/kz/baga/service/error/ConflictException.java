package kz.baga.service.error;

/** The change clashes with what is stored (e.g. an account name already taken). */
public class ConflictException extends ServiceException {

    public ConflictException(String detail) {
        super(detail);
    }
}
