using System.Globalization;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Processing;
using CrossBorderHub.Core.Security;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Admin;
using CrossBorderHub.Host.Admin.Health;
using CrossBorderHub.Host.Admin.Security;
using CrossBorderHub.Host.As2;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Host.Workers;
using CrossBorderHub.Storage;
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
        var (configuration, source, remaining) = HubConfigurationLoader.Load(args);
        if (remaining.Length > 0)
        {
            // A mistyped switch must not start a worker that quietly ignores it (`hub run --nope` used to run).
            throw new UsageException($"unexpected argument '{remaining[0]}': run takes only --config FILE and --Hub:Key=value switches (the value after '=').");
        }
        ThreadPoolFloor.Raise();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // No reload watch on appsettings.json: it is a FileSystemWatcher over the whole content root, subfolders
            // included, which is where data/ lives. Every stored payload, database page, dropped and delivered file
            // woke it (3-4 % of the hub's CPU under load); the hub reads hub.json once at start anyway.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddConfiguration(configuration);
        // As a Windows service or a systemd unit the host reports its state to the service manager; elsewhere no-ops.
        builder.Host.UseWindowsService(o => o.ServiceName = "CrossBorderHub");
        builder.Host.UseSystemd();
        LogFormat.Apply(builder.Logging, configuration);
        builder.Services.AddSingleton<IStartupCheck>(new LogFormatCheck(configuration));
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
        if (HubPaths.MissingSchemas(options.Processing.SchemasPath) is { } missing)
        {
            // Without directories and schema packs every message would be rejected later, one by one: stop now.
            context.Error.WriteLine($"hub: {missing}");
            return 2;
        }
        if (options.Admin.Enabled && AdminExposure.Refusal(options.Admin) is { } refusal)
        {
            context.Error.WriteLine($"hub: {refusal}");
            return 2;
        }
        builder.Services.AddHub(configuration);
        if (options.Admin.Enabled)
        {
            builder.Services.AddAdminSecurity(options);
            builder.Services.AddHubOpenApi();
        }
        var as2 = As2Enabled(configuration, options);
        var as2Url = configuration["Hub:As2:Url"];
        var listeners = new List<(string Setting, string Url)>();
        if (options.Admin.Enabled)
        {
            listeners.Add(("Hub:Admin:Url", options.Admin.Url));
        }
        if (as2 && !string.IsNullOrWhiteSpace(as2Url) && !listeners.Any(l => string.Equals(l.Url, as2Url, StringComparison.OrdinalIgnoreCase)))
        {
            listeners.Add(("Hub:As2:Url", as2Url));
        }
        var urls = listeners.Select(l => l.Url).ToList();
        // No admin and no AS2: Kestrel still runs (the host is one WebApplication), on a random loopback port.
        builder.WebHost.UseUrls(urls.Count == 0 ? ["http://127.0.0.1:0"] : [.. urls]);
        if (urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            // HTTPS: the admin web's port gets Hub:Admin:TlsCertificate; AS2 over TLS Hub:As2:TlsCertificate, else the hub's own certificate.
            builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.ConfigureHttpsDefaults(https =>
            {
                var admin = options.Admin.Enabled ? AdminTls.Load(options.Admin) : null;
                var as2Certificate = new Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2>(() => TlsCertificate(configuration, kestrel.ApplicationServices));
                https.ServerCertificateSelector = (connection, _) => admin is { } a && connection?.LocalEndPoint is System.Net.IPEndPoint local && local.Port == a.Port
                    ? a.Certificate
                    : as2Certificate.Value;
            }));
        }
        builder.Services.AddSingleton<OrphanBlobMetrics>();
        builder.Services.AddSingleton<OrphanBlobSweeper>();
        builder.Services.AddSingleton(sp => new DapperDocumentRetention(sp.GetRequiredService<SqlDialect>(), sp.GetRequiredService<IBlobStore>()));
        builder.Services.AddHubTelemetry(configuration, options);
        AddScheduler(builder.Services, options);
        builder.Services.AddHostedService<ProcessingService>();
        builder.Services.AddHostedService<DeliveryService>();
        builder.Services.AddHostedService<MappingReloadService>();
        builder.Services.AddHostedService<Certificates.CertificatePinsRefreshService>();

        await using var app = builder.Build();
        var errors = StartupValidator.Validate(options, app.Services);
        if (errors.Count > 0)
        {
            context.Error.WriteLine($"hub: the configuration in {source} has {errors.Count} error(s); nothing was started:");
            foreach (var error in errors)
            {
                context.Error.WriteLine($"  - {error}");
            }
            return 2;
        }

        if (ListenerCheck.FindBusy(listeners) is { } busy)
        {
            context.Error.WriteLine($"hub: {busy}");
            return 2;
        }

        var store = app.Services.GetRequiredService<IMessageStore>();
        await app.Services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        // From here on the partners and routes are the store's newest version (an empty store is seeded from the file).
        var stored = await app.Services.GetRequiredService<CurrentConfiguration>().StartAsync(cancellationToken);
        if (stored.Count > 0)
        {
            context.Error.WriteLine($"hub: the newest configuration version in the store has {stored.Count} error(s); nothing was started (fix it with 'hub config import FILE'):");
            foreach (var error in stored)
            {
                context.Error.WriteLine($"  - {error}");
            }
            return 2;
        }
        await store.ReleaseLeasesAsync(options.InstanceName, cancellationToken);
        // Before intake starts: what a killed intake left in blobs/incoming goes now, not at the first scheduled sweep.
        app.Services.GetRequiredService<OrphanBlobSweeper>().Sweep();
        var recovered = await app.Services.GetRequiredService<IOutbox>().RecoverUndeliveredAsync(
            app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
        if (options.Admin.Enabled)
        {
            var adminUrl = new Uri(options.Admin.Url);
            app.UseAdminExposure(adminUrl, options.Admin.AllowedHosts);
            // Before authentication: monitors scrape /metrics without a login (docs/admin.md).
            app.UseHubMetrics(adminUrl);
            app.UseAdminSecurity(adminUrl);
            app.MapAdmin(adminUrl);
            app.MapHubHealth(adminUrl.Port);
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
        if (options.Admin.Enabled && !await app.Services.GetRequiredService<IUserStore>().AnyAsync(cancellationToken))
        {
            var config = source.EndsWith(HubConfigurationLoader.DefaultsFileName, StringComparison.Ordinal) ? "" : $" --config {source}";
            logger.LogWarning("The admin web has no users yet: create the first admin with \"hub users add admin --role admin{Config}\" (the password on standard input or in HUB_USER_PASSWORD), then log in at {Url}",
                config, options.Admin.Url);
        }
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
        catch (IOException ex) when (ListenerCheck.IsAddressInUse(ex))
        {
            // Taken between the check above and Kestrel's bind: the same one line, naming whichever setting it was.
            var port = listeners.Select(l => (l.Setting, l.Url, Port: Uri.TryCreate(l.Url, UriKind.Absolute, out var u) ? u.Port : 0))
                .FirstOrDefault(l => ex.Message.Contains($":{l.Port}", StringComparison.Ordinal));
            context.Error.WriteLine($"hub: {(port.Setting is null ? ex.Message + ": set Hub:Admin:Url / Hub:As2:Url to a free port." : ListenerCheck.InUse(port.Setting, port.Url, port.Port))}");
            return 2;
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
            // Then every OrphanBlobSweepInterval (the start-up sweep ran already). With clustering the trigger fires on
            // one instance at a time, which is enough: clustered instances share the data root and so the blob store.
            quartz.AddJob<OrphanBlobSweepJob>(job => job.WithIdentity(OrphanBlobSweepJob.Key));
            quartz.AddTrigger(trigger => trigger.ForJob(OrphanBlobSweepJob.Key).WithIdentity("sweep-orphan-blobs-trigger")
                .StartAt(DateTimeOffset.UtcNow + options.Processing.OrphanBlobSweepInterval)
                .WithSimpleSchedule(simple => simple.WithInterval(options.Processing.OrphanBlobSweepInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            // Retention (Hub:Documents:Retention): a minute after start-up, then every RetentionInterval.
            quartz.AddJob<DocumentRetentionJob>(job => job.WithIdentity(DocumentRetentionJob.Key));
            quartz.AddTrigger(trigger => trigger.ForJob(DocumentRetentionJob.Key).WithIdentity("purge-documents-trigger")
                .StartAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1))
                .WithSimpleSchedule(simple => simple.WithInterval(options.Documents.RetentionInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            // Alerts (Hub:Alerts): evaluated on one instance at a time when clustered; the store keeps each notified once anyway.
            quartz.AddJob<Alerts.AlertJob>(job => job.WithIdentity(Alerts.AlertJob.Key));
            quartz.AddTrigger(trigger => trigger.ForJob(Alerts.AlertJob.Key).WithIdentity("evaluate-alerts-trigger").StartAt(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1))
                .WithSimpleSchedule(simple => simple.WithInterval(options.Alerts.Interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
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
        // Checks the store for a new configuration version every poll and re-schedules the poll jobs it changes.
        services.AddHostedService<ConfigurationRefreshService>();
        // The poll jobs' channels; the container disposes them when the host stops (after Quartz has stopped).
        services.AddSingleton<InboundChannelCache>();
        services.AddSingleton<ChannelPollStatus>();
        services.AddSingleton<Alerts.AlertRules>();
        services.AddSingleton<Alerts.AlertNotifier>();
        services.AddSingleton<PollRequests>();
        services.AddHostedService<FolderWatchService>();
        services.AddHubHealthChecks();
    }
}
