package kz.baga.service.security;

/** A signed-in account; the role is one of {@link Roles}. */
public record Account(long id, String username, String role, String schoolId, String districtId) {
}
