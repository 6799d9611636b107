namespace CrossBorderHub.Core.Processing;

/// <summary>Message ids: time-ordered (so they sort by arrival) and unique across instances.</summary>
public static class MessageIds
{
    public static string New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
