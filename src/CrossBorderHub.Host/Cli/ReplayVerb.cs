using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Host.Composition;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub replay ID`: queue a dead-lettered message's failed deliveries again, or reprocess a rejected message.</summary>
internal sealed class ReplayVerb : ICliVerb
{
    public string Name => "replay";

    public string Usage => "replay ID...                        re-queue dead-lettered deliveries, or reprocess a rejected message";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, ids) = HubConfigurationLoader.Load(args);
        if (ids.Length == 0)
        {
            context.Error.WriteLine($"hub replay: give the id of the message(s) to replay (see 'hub messages'). usage: hub {Usage}");
            return 2;
        }
        await using var services = HubServices.BuildForCli(configuration);
        var store = services.GetRequiredService<IMessageStore>();
        var outbox = services.GetRequiredService<IOutbox>();
        var time = services.GetRequiredService<TimeProvider>();
        await store.MigrateAsync(cancellationToken);
        var failures = 0;
        foreach (var id in ids)
        {
            var message = await store.GetAsync(id, cancellationToken);
            switch (message?.Status)
            {
                case null:
                    context.Error.WriteLine($"hub replay: no message '{id}'.");
                    failures++;
                    break;
                case MessageStatus.DeadLettered:
                    var count = await outbox.RequeueAsync(id, time.GetUtcNow(), cancellationToken);
                    context.Out.WriteLine($"{id}: {count} failed deliveries queued again");
                    break;
                case MessageStatus.Rejected:
                    await store.TransitionAsync(id, MessageStatus.Received, "replayed", "queued for processing again by hub replay", null, cancellationToken);
                    context.Out.WriteLine($"{id}: queued for processing again");
                    break;
                default:
                    context.Error.WriteLine($"hub replay: message '{id}' is {message.Status}: only DeadLettered or Rejected messages can be replayed.");
                    failures++;
                    break;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
