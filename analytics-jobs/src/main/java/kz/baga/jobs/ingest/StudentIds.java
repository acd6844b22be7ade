package kz.baga.jobs.ingest;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.unhex;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;

/**
 * Pseudonymous pupil ids: {@code student_id} = the first 32 hex digits of HMAC-SHA256(key, IIN).
 *
 * <p>The HMAC is written with Spark's built-in {@code sha2} over the RFC 2104 construction
 * {@code H((K ⊕ opad) || H((K ⊕ ipad) || m))}, so it runs inside generated code with no UDF; the pads are
 * computed once on the driver. {@link #of(String)} is the plain-Java reference the tests compare with.
 */
public final class StudentIds {

    public static final String KEY_ENV = "BAGA_ID_KEY";
    /** Used only when no key is configured, with a warning: ids made with it are not secret. */
    public static final String DEMO_KEY = "baga-demo-key-not-for-production";
    private static final int BLOCK = 64;
    private static final int ID_HEX_LENGTH = 32;

    private final byte[] key;
    private final boolean demoKey;

    private StudentIds(byte[] key, boolean demoKey) {
        this.key = key;
        this.demoKey = demoKey;
    }

    public static StudentIds withKey(String key) {
        return new StudentIds(key.getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * The key from {@code BAGA_ID_KEY} in the run's environment (the process's, or a pipeline server's client's), or
     * the demo key (check {@link #usesDemoKey()} and warn).
     */
    public static StudentIds fromEnvironment(java.util.Map<String, String> env) {
        String key = env.get(KEY_ENV);
        if (key == null || key.isBlank()) {
            return new StudentIds(DEMO_KEY.getBytes(StandardCharsets.UTF_8), true);
        }
        return withKey(key);
    }

    public boolean usesDemoKey() {
        return demoKey;
    }

    /** A short fingerprint of the key (not the key) so a manifest can tell which key made the ids. */
    public String keyFingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id as a Spark column over an IIN column (string). */
    public Column column(Column iin) {
        byte[] k = key.length > BLOCK ? sha256(key) : key;
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        Column inner = unhex(sha2(concat(lit(ipad), iin.cast("binary")), 256));
        return substring(sha2(concat(lit(opad), inner), 256), 1, ID_HEX_LENGTH);
    }

    /** Plain-Java reference of {@link #column(Column)}. */
    public String of(String iin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(iin.getBytes(StandardCharsets.UTF_8))).substring(0, ID_HEX_LENGTH);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
