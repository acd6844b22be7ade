package kz.baga.service.security;

import kz.baga.service.error.ServiceException;

/** A parent without a current premium subscription asked for a premium view. */
public class SubscriptionRequiredException extends ServiceException {

    public SubscriptionRequiredException() {
        super("this view is part of the premium subscription; the free tier shows term and annual marks");
    }
}
