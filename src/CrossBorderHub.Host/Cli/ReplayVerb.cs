using CrossBorderHub.Core.Processing;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

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
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var replayer = services.GetRequiredService<Replayer>();
        var failures = 0;
        foreach (var id in ids)
        {
            var result = await replayer.ReplayAsync(id, "hub replay", cancellationToken);
            if (result.Replayed)
            {
                context.Out.WriteLine($"{id}: {result.Detail}");
            }
            else
            {
                context.Error.WriteLine($"hub replay: {result.Detail}.");
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
