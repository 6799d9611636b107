using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Telemetry;
using CrossBorderHub.Host.Workers;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// OpenTelemetry for `hub run`: the hub's Meter and ActivitySource with runtime and ASP.NET Core instrumentation; a
/// Prometheus scrape endpoint at /metrics on the admin URL; OTLP export of metrics and traces when
/// Telemetry:Otlp:Endpoint is set. Without OTLP no tracer is registered, so the stage activities cost nothing.
/// </summary>
internal static class HubTelemetry
{
    public const string EndpointKey = "Telemetry:Otlp:Endpoint";
    public const string ProtocolKey = "Telemetry:Otlp:Protocol";
    public const string MetricsPath = "/metrics";

    public static void AddHubTelemetry(this IServiceCollection services, IConfiguration configuration, HubOptions options)
    {
        services.AddSingleton<HubGauges>();
        services.AddSingleton<IStartupCheck>(new OtlpCheck(configuration));
        var otlp = Otlp(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("crossborderhub", serviceInstanceId: options.InstanceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(HubMetrics.MeterName).AddRuntimeInstrumentation().AddAspNetCoreInstrumentation();
                if (options.Admin.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(otlp.Apply);
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(MessageTrace.SourceName).AddAspNetCoreInstrumentation().AddOtlpExporter(otlp.Apply));
        }
    }

    /// <summary>The scrape endpoint, answering on the admin listener only; it needs no login (as the admin web today).</summary>
    public static void UseHubMetrics(this WebApplication app, Uri adminUrl)
    {
        // The gauges register their callbacks on the meter when first resolved.
        app.Services.GetRequiredService<HubGauges>();
        var port = adminUrl.Port;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Connection.LocalPort == port && http.Request.Path == MetricsPath);
    }

    private static OtlpSettings? Otlp(IConfiguration configuration) =>
        Uri.TryCreate(configuration[EndpointKey], UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"
            ? new OtlpSettings(endpoint, string.Equals(configuration[ProtocolKey]?.Trim(), "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc)
            : null;

    /// <summary>A line per bad endpoint or protocol.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        var endpoint = configuration[EndpointKey];
        if (!string.IsNullOrWhiteSpace(endpoint) && Otlp(configuration) is null)
        {
            yield return $"{EndpointKey} is '{endpoint}', which is not an http(s) URL: set it to the collector's OTLP address, e.g. http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318 (http/protobuf), or remove it.";
        }
        var protocol = configuration[ProtocolKey];
        if (!string.IsNullOrWhiteSpace(protocol) && protocol.Trim().ToLowerInvariant() is not ("grpc" or "http/protobuf"))
        {
            yield return $"{ProtocolKey} is '{protocol}': set it to grpc (the default) or http/protobuf.";
        }
    }

    private sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol)
    {
        public void Apply(OtlpExporterOptions exporter)
        {
            // http/protobuf posts each signal to its own path under the base address; gRPC takes the address as it is.
            exporter.Protocol = Protocol;
            exporter.Endpoint = Endpoint;
        }
    }

    private sealed class OtlpCheck(IConfiguration configuration) : IStartupCheck
    {
        public void Check(HubOptions options, ICollection<string> errors)
        {
            foreach (var problem in Problems(configuration))
            {
                errors.Add(problem);
            }
        }
    }
}
