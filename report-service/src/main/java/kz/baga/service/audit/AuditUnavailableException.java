package kz.baga.service.audit;

import kz.baga.service.error.ServiceException;

/** The audit log cannot be written (or read): no pupil data may be served without its record. */
public class AuditUnavailableException extends ServiceException {

    public AuditUnavailableException(String reason) {
        super("the access could not be recorded in the audit log, so no data is served: " + reason);
    }
}
