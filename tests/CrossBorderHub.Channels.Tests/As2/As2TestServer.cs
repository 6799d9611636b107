using System.Collections.Concurrent;
using System.Net;
using CrossBorderHub.Channels.As2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 whose POST /as2 calls the hub's <see cref="As2Receiver"/> the way the host's
/// MapAs2 does (headers + body stream in; status, headers, body out; an async MDN posted after the answer).
/// Every request's raw body and headers are kept so tests can hand them to openssl.
/// </summary>
internal sealed class As2TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private As2TestServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body)> Requests { get; } = new();

    public ConcurrentQueue<Task<bool>> AsyncMdnDeliveries { get; } = new();

    public static async Task<As2TestServer> StartAsync(As2Receiver receiver, As2TestSink sink, bool capture = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null; // the receiver enforces its own limit with a 413
        });
        var app = builder.Build();
        var server = new As2TestServer(app);
        var mdnSender = new As2AsyncMdnSender(new HttpClient(), TimeProvider.System, NullLogger<As2AsyncMdnSender>.Instance)
        {
            Backoff = [TimeSpan.FromMilliseconds(200)],
        };
        app.MapPost("/as2", (RequestDelegate)(async context =>
        {
            var headers = As2Request.NewHeaders();
            foreach (var header in context.Request.Headers)
            {
                headers[header.Key] = header.Value.ToString();
            }
            Stream body = context.Request.Body;
            if (capture)
            {
                var copy = new MemoryStream();
                await body.CopyToAsync(copy, context.RequestAborted);
                server.Requests.Enqueue((headers, copy.ToArray()));
                copy.Position = 0;
                body = copy;
            }
            var response = await receiver.HandleAsync(new As2Request(headers, body, context.Request.ContentLength), sink, context.RequestAborted);
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }
            if (response.AsyncMdn is { } mdn)
            {
                context.Response.OnCompleted(() => server.QueueAsyncMdn(mdnSender, mdn));
            }
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
        }));
        await app.StartAsync();
        var address = app.Urls.First();
        server.Url = new Uri(address.TrimEnd('/') + "/as2");
        return server;
    }

    private Task QueueAsyncMdn(As2AsyncMdnSender sender, As2AsyncMdn mdn)
    {
        AsyncMdnDeliveries.Enqueue(Task.Run(() => sender.SendAsync(mdn, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
