package kz.baga.service.security;

import java.util.Set;

public final class Roles {
    public static final String PARENT = "parent";
    public static final String SCHOOL = "school";
    public static final String DEPARTMENT = "department";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";
    public static final Set<String> ALL = Set.of(PARENT, SCHOOL, DEPARTMENT, AUDITOR, ADMIN);

    private Roles() {
    }
}
