using CrossBorderHub.Core.Configuration;
using CrossBorderHub.Core.Messages;

namespace CrossBorderHub.Core.Processing;

/// <summary>
/// One step applied to a payload on its way to a partner: a mapping ("map:NAME") or a signature
/// ("sign:document", "sign:envelope"). A route lists its steps; start-up fails when no transformer handles one.
/// </summary>
public interface IPayloadTransformer
{
    bool Handles(string step);

    /// <summary>Reads <paramref name="input"/> and writes the transformed payload to <paramref name="output"/>.</summary>
    Task TransformAsync(TransformContext context, Stream input, Stream output, CancellationToken cancellationToken);
}

public sealed record TransformContext(string Step, MessageRecord Message, string DestinationPartner, PartnerOptions Destination, HubOptions Hub);
