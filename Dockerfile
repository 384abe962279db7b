# Gameday: build the jar with Maven, run it on a JRE as a non-root user.
#   docker build -t gameday .        (or: docker compose up --build)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first: this layer is rebuilt only when pom.xml changes
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY webroot webroot
# no class-data archive here: training it needs a running Postgres (launch/cds-archive), which a build stage lacks
RUN mvn -B -q package -DskipTests -Dcds.skip

FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK only
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 gameday \
    && useradd --system --uid 10001 --gid gameday --home-dir /app --shell /usr/sbin/nologin gameday \
    && mkdir -p /app/data && chown gameday:gameday /app/data
WORKDIR /app
COPY --from=build /src/target/gameday.jar /app/gameday.jar
COPY exercises /app/exercises
ENV GAMEDAY_PORT=8080 \
    GAMEDAY_EXERCISES=/app/exercises \
    GAMEDAY_DATA_DIR=/app/data \
    GAMEDAY_LOG_FORMAT=json
USER gameday
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/ready || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/gameday.jar"]
CMD ["serve"]
