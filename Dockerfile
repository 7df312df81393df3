# embedrec as a container: built from this repository with its own Maven wrapper, run on a JRE.
# Used by docker-compose.yml (`docker compose up --build`); alone: `docker build -t embedrec .`

# ---- build: JDK 17, ./mvnw package (the licence check runs here too; tests run in scripts/test.sh)
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY migrations migrations
COPY src src
# the cache mount keeps ~/.m2 between builds (BuildKit, the default builder of docker compose)
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B package -DskipTests

# ---- run: JRE 17 and the quarkus-app layout (lib/ first: it changes least, so its layer is reused)
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home embedrec
WORKDIR /app
COPY --from=build /src/target/quarkus-app/lib/ lib/
COPY --from=build /src/target/quarkus-app/*.jar ./
COPY --from=build /src/target/quarkus-app/app/ app/
COPY --from=build /src/target/quarkus-app/quarkus/ quarkus/
USER embedrec
ENV EMBEDREC_PORT=8080
EXPOSE 8080
# JVM options: set JAVA_TOOL_OPTIONS (the JVM reads it), e.g. -Xmx1g
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
