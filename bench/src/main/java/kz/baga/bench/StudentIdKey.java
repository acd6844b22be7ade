package kz.baga.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonymous {@code student_id}: a keyed hash of the IIN. As published by the pipeline: the first 32
 * hex digits of HMAC-SHA256(key, IIN), the key from {@code BAGA_ID_KEY} or the public demo key. Written here with
 * the JDK's HMAC, independently of the pipeline's SQL construction.
 */
public final class StudentIdKey {

    public static final String DEMO_KEY = "baga-demo-key-not-for-production";

    private final Mac mac;

    public StudentIdKey(String key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StudentIdKey fromEnvironment() {
        String key = System.getenv("BAGA_ID_KEY");
        return new StudentIdKey(key == null || key.isEmpty() ? DEMO_KEY : key);
    }

    public String of(String iin) {
        byte[] h = mac.doFinal(iin.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 16; i++) {
            sb.append(Character.forDigit((h[i] >> 4) & 0xF, 16)).append(Character.forDigit(h[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
