using System.Text.Json;
using System.Text.Json.Serialization;
using CrossBorderHub.Core.Messages;
using CrossBorderHub.Core.Storage;
using CrossBorderHub.Core.Text;
using CrossBorderHub.Host.Composition;
using CrossBorderHub.Storage;

namespace CrossBorderHub.Host.Cli;

/// <summary>`hub messages`: search the message store, with each message's events and deliveries.</summary>
internal sealed class MessagesVerb : ICliVerb
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Name => "messages";

    public string Usage => "messages [--status S] [--partner P] [--type T] [--search TEXT] [--limit N] [--json]   list messages with their state and events";

    public async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var (configuration, _, rest) = HubConfigurationLoader.Load(args);
        var query = new MessageQuery();
        var json = false;
        for (var i = 0; i < rest.Length; i++)
        {
            string Value() => i + 1 < rest.Length ? rest[++i] : throw new UsageException($"{rest[i]} needs a value.");
            switch (rest[i])
            {
                case "--json": json = true; break;
                case "--status":
                    var status = Value();
                    // A defined name only: Enum.TryParse would also take "7" or "Received,Rejected".
                    if (!Enum.TryParse<MessageStatus>(status, ignoreCase: true, out var parsed) || !Enum.GetNames<MessageStatus>().Contains(status, StringComparer.OrdinalIgnoreCase))
                    {
                        context.Error.WriteLine($"hub messages: unknown status '{status}': use one of {string.Join(", ", Enum.GetNames<MessageStatus>())}.");
                        return 2;
                    }
                    query = query with { Status = parsed };
                    break;
                case "--partner": query = query with { Partner = Value() }; break;
                case "--type": query = query with { DocumentType = Value() }; break;
                case "--search": query = query with { Text = Value() }; break;
                case "--limit":
                    var limit = Value();
                    if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
                    {
                        context.Error.WriteLine($"hub messages: --limit '{limit}' is not a positive whole number: give a count such as --limit 100.");
                        return 2;
                    }
                    query = query with { Limit = count };
                    break;
                default:
                    context.Error.WriteLine($"hub messages: unknown argument '{rest[i]}'. {Usage}");
                    return 2;
            }
        }
        await using var services = HubServices.BuildForCli(configuration);
        // Migrated first, so that a database no hub has run on yet lists nothing instead of failing on a missing table.
        await services.GetRequiredService<StoreSchema>().MigrateAsync(cancellationToken);
        var store = services.GetRequiredService<IMessageQueries>();
        var messages = await store.FindAsync(query, cancellationToken);
        if (json)
        {
            var detailed = new List<object>();
            foreach (var message in messages)
            {
                detailed.Add(new
                {
                    message,
                    events = await store.GetEventsAsync(message.Id, cancellationToken),
                    deliveries = await store.GetDeliveriesAsync(message.Id, cancellationToken),
                });
            }
            context.Out.WriteLine(JsonSerializer.Serialize(detailed, Json));
            return 0;
        }
        foreach (var message in messages)
        {
            // Every value a partner could have chosen is escaped: a name holding "\n" or ESC[31m cannot forge a line or
            // recolour the admin's terminal (the --json output is escaped by the serializer).
            context.Out.WriteLine($"{message.Id}  {message.ReceivedAt:yyyy-MM-dd HH:mm:ss}  {message.Status,-12} {message.SourcePartner,-6} {message.Format,-8} " +
                $"{PartnerText.Escape(message.DocumentType ?? "-"),-12} {PartnerText.Escape(message.Sender ?? "-")} -> {PartnerText.Escape(message.Recipient ?? "-")}  {PartnerText.Escape(message.RemoteName)}");
            if (message.Reason is not null)
            {
                context.Out.WriteLine($"    reason: {PartnerText.Escape(message.Reason)}");
            }
            foreach (var e in await store.GetEventsAsync(message.Id, cancellationToken))
            {
                context.Out.WriteLine($"    {e.At:HH:mm:ss.fff} {e.Kind}: {PartnerText.Escape(e.Detail)}");
            }
        }
        context.Error.WriteLine($"{messages.Count} message(s)");
        return 0;
    }
}
