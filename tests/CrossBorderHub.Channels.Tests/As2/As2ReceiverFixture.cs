namespace CrossBorderHub.Channels.Tests.As2;

/// <summary>Receiver tests: each test gets its own data root under the AS2 test folder and a fresh recording sink.</summary>
public abstract class As2ReceiverFixture(string prefix)
{
    protected string DataRoot { get; private set; } = "";

    protected As2TestSink Sink { get; private set; } = null!;

    [SetUp]
    public void NewDataRootAndSink()
    {
        DataRoot = Path.Combine(As2TestEnvironment.Folder, prefix + Guid.NewGuid().ToString("N")[..8]);
        Sink = new As2TestSink();
    }
}
