using CrossBorderHub.Core.Channels;
using CrossBorderHub.Core.Text;
using Microsoft.Extensions.Logging;

namespace CrossBorderHub.Channels;

/// <summary>
/// Names the pickup rules ignore (dot-files, "*.tmp", "*.part"...: hidden or still being written) are never taken.
/// Skipping them silently left an admin wondering why a file never arrived, and logging them at every poll floods
/// the log, so each name is logged once while it stays in the folder. Memory is bounded: a name is forgotten when it
/// leaves the listing, and at most <see cref="MaxRemembered"/> are remembered; beyond that one summary line is written.
/// </summary>
internal sealed class IgnoredNames(ChannelSettings settings, ILogger logger, PickupRules rules)
{
    public const int MaxRemembered = 1000;

    private HashSet<string> _logged = new(StringComparer.Ordinal);
    private bool _overflowLogged;

    /// <summary>Called with every name of one listing; logs the ignored names not logged before and forgets vanished ones.</summary>
    public void Observe(IEnumerable<string> listing)
    {
        var ignored = listing.Where(rules.IsPartnerTemporaryName).ToList();
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
            logger.LogInformation("Partner {Partner} channel {Channel}: ignoring {File}: it matches IgnorePatterns (names starting with '.' and temporary names are never taken); rename it when complete to send it",
                settings.Partner, settings.Channel, PartnerText.Escape(name));
        }
        if (unremembered > 0 && !_overflowLogged)
        {
            logger.LogWarning("Partner {Partner} channel {Channel}: {Count} more names starting with '.' or matching IgnorePatterns are ignored and not listed one by one (over {Max}): clean the folder",
                settings.Partner, settings.Channel, unremembered, MaxRemembered);
        }
        _overflowLogged = unremembered > 0;
        _logged = next;
    }
}
