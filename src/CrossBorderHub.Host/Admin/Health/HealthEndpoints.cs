using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrossBorderHub.Host.Admin.Health;

/// <summary>
/// /health/live (the process answers: restart it if not) and /health/ready (store, blobs, scheduler, channels: send
/// no traffic and alert if not), ASP.NET Core health checks with a JSON body naming each check. The older /health
/// (text, disk full / store outage) stays as it was.
/// </summary>
internal static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddHubHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<MessageStoreCheck>("store", tags: [Ready], timeout: TimeSpan.FromSeconds(10))
            .AddCheck<BlobStoreCheck>("blobs", tags: [Ready], timeout: TimeSpan.FromSeconds(10))
            .AddCheck<SchedulerCheck>("scheduler", tags: [Ready])
            .AddCheck<ChannelPollCheck>("channels", tags: [Ready]);
        return services;
    }

    public static void MapHubHealth(this IEndpointRouteBuilder app, int adminPort)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson })
            .RequireHost($"*:{adminPort}").OnlyOnAdminPort(adminPort);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteJson })
            .RequireHost($"*:{adminPort}").OnlyOnAdminPort(adminPort);
    }

    private static Task WriteJson(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            failed = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToArray(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                milliseconds = (long)e.Value.Duration.TotalMilliseconds,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
