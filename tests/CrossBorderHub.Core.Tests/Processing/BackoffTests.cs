namespace CrossBorderHub.Core.Tests.Processing;

public sealed class BackoffTests
{
    [Test]
    public void Backoff_doubles_per_attempt_and_stops_at_the_maximum()
    {
        var options = new DeliveryOptions { InitialBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromMinutes(1) };
        var delays = Enumerable.Range(1, 6).Select(a => DeliveryDispatcher.Backoff(options, a)).ToList();
        Assert.That(delays, Is.EqualTo(new[] { 5, 10, 20, 40, 60, 60 }.Select(s => TimeSpan.FromSeconds(s))));
        Assert.That(DeliveryDispatcher.Backoff(options, 200), Is.EqualTo(TimeSpan.FromMinutes(1)));
    }
}
