package kz.baga.service.warehouse;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounded caches of per-school and per-district read models, keyed by snapshot id, so a new snapshot simply
 * misses and old entries age out. Weighted by row count, so one huge school cannot blow the heap.
 */
@ApplicationScoped
public class ReadModels {

    @ConfigProperty(name = "baga.cache.max-rows", defaultValue = "2000000")
    long maxRows;

    @ConfigProperty(name = "baga.cache.max-districts", defaultValue = "64")
    long maxDistricts;

    @ConfigProperty(name = "baga.suppress-below", defaultValue = "5")
    int suppressBelow;

    @Inject
    MeterRegistry registry;

    private Cache<String, SchoolModel> schools;
    private Cache<String, DistrictModel> districts;
    private Cache<String, java.util.Set<String>> districtYears;

    @PostConstruct
    void init() {
        schools = Caffeine.newBuilder()
                .maximumWeight(maxRows)
                .weigher((String k, SchoolModel m) -> Math.max(1, m.rowCount()))
                .expireAfterAccess(Duration.ofHours(6))
                .recordStats()
                .build();
        districts = Caffeine.newBuilder()
                .maximumSize(maxDistricts)
                .expireAfterAccess(Duration.ofHours(6))
                .recordStats()
                .build();
        // a few strings per district: bounded on its own, so that even a "cold" service (max-districts=0) does
        // not read the year column again for every request's year check
        districtYears = Caffeine.newBuilder()
                .maximumSize(1024)
                .expireAfterAccess(Duration.ofHours(6))
                .build();
        CaffeineCacheMetrics.monitor(registry, schools, "baga.school-models");
        CaffeineCacheMetrics.monitor(registry, districts, "baga.district-models");
    }

    public SchoolModel school(Snapshot snapshot, String schoolId) {
        return schools.get(snapshot.id() + '/' + schoolId, k -> new SchoolModel(snapshot, schoolId));
    }

    /** The whole district (every year, term, grade level and subject). */
    public DistrictModel district(Snapshot snapshot, String districtId) {
        return district(snapshot, districtId, DistrictModel.Filter.ALL);
    }

    /**
     * The district's cells that match {@code filter}, read with the filter applied before any cell is built
     * (see {@link DistrictModel}) and cached per snapshot, district and filter: the indicators of one year and
     * term are a small part of a large district's table.
     */
    public DistrictModel district(Snapshot snapshot, String districtId, DistrictModel.Filter filter) {
        if (maxDistricts <= 0) {
            // no cache: read for this request. (Through a cache bounded to nothing, concurrent requests for the
            // same key would wait for each other's read, one at a time, and then read again themselves.)
            return new DistrictModel(snapshot, districtId, suppressBelow, filter);
        }
        return districts.get(snapshot.id() + '/' + districtId + '/' + filter, k -> new DistrictModel(snapshot,
                districtId, suppressBelow, filter));
    }

    /** The academic years of a district's cells (for validating {@code year}), cached per snapshot. */
    public java.util.Set<String> districtYears(Snapshot snapshot, String districtId) {
        return districtYears.get(snapshot.id() + '/' + districtId, k -> DistrictModel.years(snapshot, districtId));
    }

    public int suppressBelow() {
        return suppressBelow;
    }
}
