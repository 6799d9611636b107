using System.Globalization;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.As2;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Host.Workers;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Hosting.WindowsServices;
using Quartz;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub run`: the worker — polling, pipeline, outbox, admin web. The default verb.</summary>
internal sealed class RunVerb : ICliVerb
{
    public string Name => "run";

    public string Usage => "run [--config FILE]                 start the hub (default verb); Ctrl+C or SIGTERM stops it cleanly";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, source, _) = HubConfigurationLoader.Load(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddConfiguration(configuration);
        // As a Windows service or a systemd unit the host reports its state to the service manager; elsewhere no-ops.
        builder.Host.UseWindowsService(o => o.ServiceName = "CrossBorderHub");
        builder.Host.UseSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        HubOptions options;
        try
        {
            options = HubServices.BindOptions(configuration);
        }
        catch (InvalidOperationException ex)
        {
            context.Error.WriteLine($"hub: the configuration in {source} cannot be read: {ex.Message} {ex.InnerException?.Message}");
            return 2;
        }
        if (options.Admin.Enabled && AdminExposure.Refusal(options.Admin.Url) is { } refusal)
        {
            context.Error.WriteLine($"hub: {refusal}");
            return 2;
        }
        builder.Services.AddHub(configuration);
        var as2 = As2Enabled(configuration, options);
        var as2Url = configuration["Hub:As2:Url"];
        var urls = new List<string>();
        if (options.Admin.Enabled)
        {
            urls.Add(options.Admin.Url);
        }
        if (as2 && !string.IsNullOrWhiteSpace(as2Url) && !urls.Contains(as2Url, StringComparer.OrdinalIgnoreCase))
        {
            urls.Add(as2Url);
        }
        // No admin and no AS2: Kestrel still runs (the host is one WebApplication), on a random loopback port.
        builder.WebHost.UseUrls(urls.Count == 0 ? ["http://127.0.0.1:0"] : [.. urls]);
        if (urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            // HTTPS (AS2 over TLS): Hub:As2:TlsCertificate, else the hub's own certificate.
            builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.ConfigureHttpsDefaults(https =>
                https.ServerCertificate = TlsCertificate(configuration, kestrel.ApplicationServices)));
        }
        AddScheduler(builder.Services, options);
        builder.Services.AddHostedService<ProcessingService>();
        builder.Services.AddHostedService<DeliveryService>();

        await using var app = builder.Build();
        var errors = StartupValidator.Validate(options, app.Services.GetRequiredService<ChannelRegistry>(),
            app.Services.GetServices<IPayloadTransformer>(), app.Services.GetServices<IStartupCheck>());
        if (errors.Count > 0)
        {
            context.Error.WriteLine($"hub: the configuration in {source} has {errors.Count} error(s); nothing was started:");
            foreach (var error in errors)
            {
                context.Error.WriteLine($"  - {error}");
            }
            return 2;
        }

        var store = app.Services.GetRequiredService<IMessageStore>();
        await store.MigrateAsync(cancellationToken);
        await store.ReleaseLeasesAsync(options.InstanceName, cancellationToken);
        var recovered = await app.Services.GetRequiredService<IOutbox>().RecoverUndeliveredAsync(
            app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
        if (options.Admin.Enabled)
        {
            var adminUrl = new Uri(options.Admin.Url);
            app.UseAdminExposure(adminUrl);
            app.MapAdmin(adminUrl);
        }
        if (as2)
        {
            try
            {
                app.MapAs2();
            }
            catch (InvalidOperationException ex)
            {
                context.Error.WriteLine($"hub: the configuration in {source} has errors; nothing was started:");
                context.Error.WriteLine($"  - {ex.Message}");
                return 2;
            }
        }
        var logger = app.Services.GetRequiredService<ILogger<RunVerb>>();
        if (recovered.Replies + recovered.Messages > 0)
        {
            logger.LogWarning("Recovered after a crash: {Replies} acknowledgement(s) and {Messages} message(s) were Routed without a delivery; queued again",
                recovered.Replies, recovered.Messages);
        }
        logger.LogInformation("CrossBorderHub starting: configuration {Source}, data {DataRoot}, store {Store}, {Partners} partners, {Routes} routes, admin {Admin}",
            source, Path.GetFullPath(options.DataRoot), options.Store.Provider, options.Partners.Count, options.Routes.Count, options.Admin.Enabled ? options.Admin.Url : "off");
        try
        {
            await app.RunAsync(cancellationToken);
        }
        finally
        {
            // RunAsync has disposed the container (and with it the outbound channels); the poll jobs' channels are ours.
            await InboundPollJob.DisposeAllAsync();
        }
        return 0;
    }

    /// <summary>The AS2 endpoint is mapped when Hub:As2 is configured or a partner uses an AS2 channel.</summary>
    private static bool As2Enabled(IConfiguration configuration, HubOptions options) =>
        configuration.GetSection("Hub:As2").Exists()
        || options.Partners.Values.Any(p => IsAs2(p.Inbound) || IsAs2(p.Outbound));

    private static bool IsAs2(IConfigurationSection? section) => string.Equals(section?["Type"], "as2", StringComparison.OrdinalIgnoreCase);

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 TlsCertificate(IConfiguration configuration, IServiceProvider services)
    {
        var path = configuration["Hub:As2:TlsCertificate"];
        return string.IsNullOrWhiteSpace(path)
            ? services.GetRequiredService<HubCertificate>().Certificate
            : CertificateFiles.LoadWithPrivateKey(path, configuration["Hub:As2:TlsPrivateKey"], configuration["Hub:As2:TlsCertificatePassword"]);
    }

    private static void AddScheduler(IServiceCollection services, HubOptions options)
    {
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceId = options.InstanceName);
            if (options.Scheduler.Clustered)
            {
                // Triggers live in the shared PostgreSQL database; Quartz creates its tables on first start.
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(options.Store.ConnectionString!);
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(cluster => cluster.CheckinInterval = options.Scheduler.CheckinInterval);
                    store.ProvisionSchema();
                });
            }
            // AS2 is pushed to POST /as2, not polled.
            foreach (var (partner, partnerOptions) in options.Partners.Where(p => p.Value.Inbound is not null && !IsAs2(p.Value.Inbound)))
            {
                var key = new JobKey($"poll-{partner}");
                quartz.AddJob<InboundPollJob>(job => job.WithIdentity(key).UsingJobData(InboundPollJob.PartnerKey, partner));
                var schedule = partnerOptions.Inbound!["Schedule"];
                quartz.AddTrigger(trigger =>
                {
                    trigger.ForJob(key).WithIdentity($"poll-{partner}-trigger").StartNow();
                    if (!string.IsNullOrWhiteSpace(schedule) && !TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out _))
                    {
                        trigger.WithCronSchedule(schedule, cron => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing));
                    }
                    else
                    {
                        var interval = string.IsNullOrWhiteSpace(schedule) ? options.Processing.InboundInterval : TimeSpan.Parse(schedule, CultureInfo.InvariantCulture);
                        trigger.WithSimpleSchedule(simple => simple.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
                    }
                });
            }
        });
        // Stop waits for a running poll to finish handing its current file to the store (no half-stored document).
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
