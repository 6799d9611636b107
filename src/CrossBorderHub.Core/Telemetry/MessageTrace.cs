using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CrossBorderHub.Core.Telemetry;

/// <summary>
/// The ActivitySource "CrossBorderHub": one activity per stage of a message (intake, inspect, route, sign, deliver).
/// The stages run in different loops, minutes apart, and nothing is stored between them; so every stage's parent is
/// the same context derived from the message id (trace id and parent span id from its SHA-256), which puts all of a
/// message's stages in one trace without a column in the store. That parent span itself is never exported.
/// </summary>
public static class MessageTrace
{
    public const string SourceName = "CrossBorderHub";
    public const string Intake = "intake";
    public const string Inspect = "inspect";
    public const string Route = "route";
    public const string Sign = "sign";
    public const string Deliver = "deliver";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>An activity for <paramref name="stage"/> of the message, or null when nobody listens (no cost then).</summary>
    public static Activity? Start(string stage, string messageId, string? partner = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        // Within a stage of the same message (sign inside route) the running stage is the parent.
        var message = ContextOf(messageId);
        var activity = Activity.Current?.TraceId == message.TraceId
            ? Source.StartActivity(stage, ActivityKind.Internal)
            : Source.StartActivity(stage, ActivityKind.Internal, message);
        activity?.SetTag("crossborderhub.message_id", messageId);
        if (partner is not null)
        {
            activity?.SetTag("crossborderhub.partner", partner);
        }
        return activity;
    }

    /// <summary>The trace of a message: the same for every stage, on every instance.</summary>
    public static ActivityContext ContextOf(string messageId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageId), hash);
        return new ActivityContext(ActivityTraceId.CreateFromBytes(hash[..16]), ActivitySpanId.CreateFromBytes(hash.Slice(16, 8)), ActivityTraceFlags.Recorded);
    }

    /// <summary>Marks the stage failed with the reason a person reads in the events.</summary>
    public static void Fail(this Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
