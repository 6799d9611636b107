using CrossBorderHub.Core.Messages;
using CrossBorderHub.Host.Admin;

namespace CrossBorderHub.Host.Tests.Admin;

/// <summary>
/// The admin pages are written with the invariant culture: ':' in a custom time format is the culture's time
/// separator, so a host running under fi-FI printed event times as 12.30.45 before the pages said which culture.
/// </summary>
public sealed class AdminPagesCultureTests
{
    [Test]
    [SetCulture("fi-FI")]
    public void Event_times_on_the_message_page_keep_their_colons_under_a_culture_with_another_time_separator()
    {
        Assert.That(System.Globalization.CultureInfo.CurrentCulture.DateTimeFormat.TimeSeparator, Is.Not.EqualTo(":"),
            "the test needs a culture whose time separator is not ':' (ICU data for fi-FI)");
        var at = new DateTimeOffset(2026, 12, 2, 12, 30, 45, 123, TimeSpan.Zero);
        var message = new MessageRecord
        {
            Id = "m1", ReceivedAt = at, SourcePartner = "CN", SourceChannel = "folder", RemoteName = "a.edi",
            BlobHash = "00", Length = 1, Status = MessageStatus.Delivered,
        };

        var page = AdminPages.Message(message, [new MessageEvent(1, "m1", at, "Delivered", "to TH")], []);

        Assert.That(page, Does.Contain("2026-12-02 12:30:45.123"));
    }
}
