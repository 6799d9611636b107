using System.Net;
using System.Net.Sockets;

namespace CrossBorderHub.Host.Composition;

/// <summary>
/// A listener URL (Hub:Admin:Url, Hub:As2:Url) whose port another program holds: found before the web host starts,
/// so the admin reads one line naming the port, the setting and the fix instead of Kestrel's stack trace.
/// </summary>
internal static class ListenerCheck
{
    /// <summary>The first busy listener as one line, or null when every port can be bound.</summary>
    public static string? FindBusy(IEnumerable<(string Setting, string Url)> listeners)
    {
        foreach (var (setting, url) in listeners)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || uri.Port == 0)
            {
                continue; // not ours to judge here: Kestrel's own error names a malformed URL; port 0 is always free
            }
            foreach (var address in Addresses(uri.Host))
            {
                if (!CanBind(address, uri.Port))
                {
                    return InUse(setting, url, uri.Port);
                }
            }
        }
        return null;
    }

    public static string InUse(string setting, string url, int port) =>
        $"port {port} of {setting} ({url}) is already in use by another program: stop that program (ss -ltnp 'sport = :{port}' shows it) or set {setting} to a free port.";

    /// <summary>True when the exception is Kestrel's "address already in use" (the port was taken after the check).</summary>
    public static bool IsAddressInUse(Exception ex) =>
        ex is IOException && (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                              || ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                              || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<IPAddress> Addresses(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) ? [address]
        : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? [IPAddress.Loopback]
        : [IPAddress.Any]; // a host name: Kestrel listens on every interface

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // another problem (no such interface...): Kestrel reports it in its own words
        }
    }
}
