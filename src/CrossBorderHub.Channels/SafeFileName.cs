using CrossBorderHub.Core.Channels;

namespace CrossBorderHub.Channels;

/// <summary>
/// Turns a remote or generated name into one file name that cannot leave the folder it is written to. Every
/// transport calls this, and it is the same function the core names deliveries with (<see cref="DeliveryName"/>),
/// so a name the core built passes through unchanged and the message-id prefix that makes it unique survives.
/// </summary>
public static class SafeFileName
{
    public static string From(string name) => DeliveryName.Safe(name);
}
