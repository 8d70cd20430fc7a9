# syntax=docker/dockerfile:1
# LifeOs: one container, SQLite in the /data volume.
#   docker build -t lifeos .
#   docker run -d -p 8080:8080 -v lifeos-data:/data --name lifeos lifeos

# Browser libraries (ECharts) from npm, pinned by package-lock.json; the SDK image has no Node.
FROM node:20-bookworm-slim AS assets
WORKDIR /src/LifeOs.Web
COPY LifeOs.Web/package.json LifeOs.Web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore only the web project (the test project's Playwright package is 800 MB) and cache it as a layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY LifeOs.Core/LifeOs.Core.csproj LifeOs.Core/packages.lock.json LifeOs.Core/
COPY LifeOs.Web/LifeOs.Web.csproj LifeOs.Web/packages.lock.json LifeOs.Web/
RUN dotnet restore LifeOs.Web/LifeOs.Web.csproj --locked-mode
COPY LifeOs.Core/ LifeOs.Core/
COPY LifeOs.Web/ LifeOs.Web/
COPY --from=assets /src/LifeOs.Web/node_modules LifeOs.Web/node_modules
# The test suite runs exactly this publish command (PublishedAppTests), so keep it on one line.
RUN dotnet publish LifeOs.Web/LifeOs.Web.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app -p:SkipNpmCi=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV LifeOs__DataDirectory=/data \
    ASPNETCORE_HTTP_PORTS=8080
RUN mkdir -p /data && chown "$APP_UID" /data
COPY --from=build /app ./
USER $APP_UID
VOLUME /data
EXPOSE 8080
# The runtime image has no curl; the app checks itself (GET /healthz, exit 0 or 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "/app/LifeOs.Web.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "LifeOs.Web.dll"]
