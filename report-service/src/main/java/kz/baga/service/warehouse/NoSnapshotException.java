package kz.baga.service.warehouse;

import kz.baga.service.error.ServiceException;

/** No committed snapshot is being served (none yet, or the one CURRENT names cannot be opened or is refused). */
public class NoSnapshotException extends ServiceException {

    public NoSnapshotException(String detail) {
        super(detail);
    }
}
