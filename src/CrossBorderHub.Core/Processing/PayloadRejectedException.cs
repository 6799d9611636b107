namespace CrossBorderHub.Core.Processing;

/// <summary>
/// A payload step refuses this message (a document its mapping cannot map, or mapped output that is not valid for the
/// target): the message ends Rejected with <see cref="Reason"/>, each of <see cref="Details"/> as an error event, and
/// nothing is delivered. Not a defect: no stack trace is logged.
/// </summary>
public sealed class PayloadRejectedException(string reason, IReadOnlyList<string> details) : Exception(reason)
{
    public string Reason { get; } = reason;

    public IReadOnlyList<string> Details { get; } = details;
}
