package io.embedrec.common.security;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    @Test
    void readsNeedRead() {
        assertThat(AccessPolicy.required("GET", "/v1/items/x")).contains(Scope.READ);
        assertThat(AccessPolicy.required("GET", "/v1/jobs")).contains(Scope.READ);
        assertThat(AccessPolicy.required("POST", "/v1/search")).contains(Scope.READ);
        assertThat(AccessPolicy.required("POST", "/v1/recommend")).contains(Scope.READ);
        assertThat(AccessPolicy.required("POST", "/v1/embeddings")).contains(Scope.READ);
    }

    @Test
    void changesToItemsEventsAndUsersNeedWrite() {
        assertThat(AccessPolicy.required("PUT", "/v1/items/x")).contains(Scope.WRITE);
        assertThat(AccessPolicy.required("POST", "/v1/items/import")).contains(Scope.WRITE);
        assertThat(AccessPolicy.required("POST", "/v1/events")).contains(Scope.WRITE);
        assertThat(AccessPolicy.required("DELETE", "/v1/users/u1")).contains(Scope.WRITE);
    }

    @Test
    void jobsSpacesAndModelsNeedAdmin() {
        assertThat(AccessPolicy.required("POST", "/v1/jobs/reembed")).contains(Scope.ADMIN);
        assertThat(AccessPolicy.required("POST", "/v1/spaces")).contains(Scope.ADMIN);
        assertThat(AccessPolicy.required("DELETE", "/v1/spaces/a")).contains(Scope.ADMIN);
        assertThat(AccessPolicy.required("POST", "/v1/spaces/a/activate")).contains(Scope.ADMIN);
    }

    @Test
    void outsideV1IsOpen() {
        assertThat(AccessPolicy.required("GET", "/q/health/ready")).isEqualTo(Optional.empty());
        assertThat(AccessPolicy.required("GET", "/")).isEqualTo(Optional.empty());
        assertThat(AccessPolicy.required("GET", "/v10/x")).isEqualTo(Optional.empty());
    }

    @Test
    void scopesNest() {
        assertThat(Scope.ADMIN.includes(Scope.WRITE)).isTrue();
        assertThat(Scope.WRITE.includes(Scope.READ)).isTrue();
        assertThat(Scope.READ.includes(Scope.WRITE)).isFalse();
    }
}
