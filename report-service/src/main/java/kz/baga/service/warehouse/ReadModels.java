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
        CaffeineCacheMetrics.monitor(registry, schools, "baga.school-models");
        CaffeineCacheMetrics.monitor(registry, districts, "baga.district-models");
    }

    public SchoolModel school(Snapshot snapshot, String schoolId) {
        return schools.get(snapshot.id() + '/' + schoolId, k -> new SchoolModel(snapshot, schoolId));
    }

    public DistrictModel district(Snapshot snapshot, String districtId) {
        return districts.get(snapshot.id() + '/' + districtId, k -> new DistrictModel(snapshot, districtId,
                suppressBelow));
    }

    public int suppressBelow() {
        return suppressBelow;
    }
}
