using CrossBorderHub.Channels.As2;
using CrossBorderHub.Core.Certificates;
using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace CrossBorderHub.Host.As2;

/// <summary>
/// The HTTP glue of the AS2 station: POST /as2 hands headers and body to <see cref="As2Receiver"/> and writes its
/// answer back; an asynchronous MDN is posted after the answer has gone out. All protocol logic lives in
/// Channels/As2. Configuration: Hub:As2:Id (the hub's AS2 identifier), Hub:As2:MaxBodyBytes, optional Hub:As2:Url
/// (then the route answers only on that URL's port; the host must listen there too) and the partners' Inbound
/// sections with Type "as2".
/// </summary>
public static class As2Endpoint
{
    /// <summary>Maps POST /as2. Throws at start-up with every configuration error listed.</summary>
    public static IEndpointConventionBuilder MapAs2(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var configuration = services.GetRequiredService<IConfiguration>();
        var hubCertificate = services.GetRequiredService<HubCertificate>();
        var context = services.GetRequiredService<ChannelContext>();
        var time = services.GetRequiredService<TimeProvider>();
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var store = services.GetService<IMessageStore>();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();

        var errors = new List<string>();
        var options = As2ReceiverConfiguration.Load(configuration, hubCertificate.Certificate, context, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("AS2 configuration errors: " + string.Join(" ", errors));
        }
        var receiver = new As2Receiver(options, time, loggerFactory.CreateLogger<As2Receiver>(), context.As2State)
        {
            Events = store is null ? null : (e, ct) => store.AddEventAsync(e.MessageId, e.Kind, e.Detail, ct),
        };
        var mdnSender = new As2AsyncMdnSender(new HttpClient { Timeout = TimeSpan.FromMinutes(2) }, time, loggerFactory.CreateLogger<As2AsyncMdnSender>());
        var logger = loggerFactory.CreateLogger(typeof(As2Endpoint));

        var endpoint = app.MapPost("/as2", (RequestDelegate)(async http =>
        {
            // The receiver enforces its own limit (413) while spooling to disk; Kestrel's 30 MB default would cut first.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.MaxBodyBytes + 1;
            }
            var headers = As2Request.NewHeaders();
            foreach (var header in http.Request.Headers)
            {
                headers[header.Key] = header.Value.ToString();
            }
            var sink = http.RequestServices.GetRequiredService<IInboundSink>();
            var response = await receiver.HandleAsync(new As2Request(headers, http.Request.Body, http.Request.ContentLength), sink, http.RequestAborted);
            http.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers)
            {
                http.Response.Headers[name] = value;
            }
            http.Response.ContentLength = response.Body.Length;
            if (response.AsyncMdn is { } mdn)
            {
                http.Response.OnCompleted(() => PostLater(mdnSender, mdn, logger, lifetime.ApplicationStopping));
            }
            await http.Response.Body.WriteAsync(response.Body, http.RequestAborted);
        }));
        var url = configuration["Hub:As2:Url"];
        if (!string.IsNullOrWhiteSpace(url) && Uri.TryCreate(url, UriKind.Absolute, out var as2Url))
        {
            endpoint.RequireHost($"*:{as2Url.Port}");
        }
        return endpoint;
    }

    private static Task PostLater(As2AsyncMdnSender sender, As2AsyncMdn mdn, ILogger logger, CancellationToken stopping)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await sender.SendAsync(mdn, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.LogWarning("AS2 async MDN to {Url} abandoned at shutdown; the partner's resend will be answered again", mdn.Url);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
