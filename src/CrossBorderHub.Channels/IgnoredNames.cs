using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels;

/// <summary>
/// Names starting with '.' are hidden or still being written (".inv.edi.part"): the file channels never take them.
/// Skipping them silently left an admin wondering why a file never arrived, and logging them at every poll floods
/// the log, so each name is logged once while it stays in the folder. Memory is bounded: a name is forgotten when it
/// leaves the listing, and at most <see cref="MaxRemembered"/> are remembered; beyond that one summary line is written.
/// </summary>
internal sealed class IgnoredNames(ChannelSettings settings, ILogger logger)
{
    public const int MaxRemembered = 1000;

    /// <summary>Claims of other hub instances sharing the folder: in flight, not ignored, so not worth a line.</summary>
    private const string ClaimMarker = ".hub-claim-";

    private HashSet<string> _logged = new(StringComparer.Ordinal);
    private bool _overflowLogged;

    public static bool IsIgnored(string name) => name.StartsWith('.');

    /// <summary>Called with every name of one listing; logs the dot-names not logged before and forgets vanished ones.</summary>
    public void Observe(IEnumerable<string> listing)
    {
        var ignored = listing.Where(n => IsIgnored(n) && !n.StartsWith(ClaimMarker, StringComparison.Ordinal)).ToList();
        // Those logged before and still there first, so a flood of new names cannot make an old one be logged again.
        var next = new HashSet<string>(ignored.Where(_logged.Contains), StringComparer.Ordinal);
        var unremembered = 0;
        foreach (var name in ignored.Where(n => !next.Contains(n)))
        {
            if (next.Count >= MaxRemembered)
            {
                unremembered++;
                continue;
            }
            next.Add(name);
            logger.LogInformation("Partner {Partner} channel {Channel}: ignoring {File}: names starting with '.' are hidden or temporary files and are never taken; rename it without the leading '.' to send it",
                settings.Partner, settings.Channel, PartnerText.Escape(name));
        }
        if (unremembered > 0 && !_overflowLogged)
        {
            logger.LogWarning("Partner {Partner} channel {Channel}: {Count} more names starting with '.' are ignored and not listed one by one (over {Max}): clean the folder",
                settings.Partner, settings.Channel, unremembered, MaxRemembered);
        }
        _overflowLogged = unremembered > 0;
        _logged = next;
    }
}
