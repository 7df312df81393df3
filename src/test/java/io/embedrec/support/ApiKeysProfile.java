package io.embedrec.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service with three API keys: {@code reader-key-1} (read), {@code writer-key-1} (write), {@code admin-key-1}. */
public class ApiKeysProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("embedrec.security.keys.reader-key-1", "read",
                "embedrec.security.keys.writer-key-1", "write",
                "embedrec.security.keys.admin-key-1", "admin");
    }
}
