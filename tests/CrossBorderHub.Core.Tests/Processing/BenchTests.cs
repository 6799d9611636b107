namespace CrossBorderHub.Core.Tests.Processing;

/// <summary>Tests over a fresh <see cref="ProcessingBench"/> each: built before every test, removed after it.</summary>
public abstract class BenchTests
{
    private protected ProcessingBench Bench { get; private set; } = null!;

    /// <summary>Builds the bench; a fixture overrides it to configure the options or wrap the store.</summary>
    private protected virtual Task<ProcessingBench> CreateBenchAsync() => ProcessingBench.CreateAsync();

    [SetUp]
    public async Task Build() => Bench = await CreateBenchAsync();

    [TearDown]
    public async Task Remove() => await Bench.DisposeAsync();
}
