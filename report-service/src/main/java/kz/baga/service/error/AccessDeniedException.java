package kz.baga.service.error;

/** The caller's account may not do this, or may not see this (an unknown pupil is refused the same way). */
public class AccessDeniedException extends ServiceException {

    public AccessDeniedException(String detail) {
        super(detail);
    }
}
