using CrossBorderHub.Host.Cli;

namespace CrossBorderHub.Host.Tests.Cli;

public sealed class CliDispatcherTests
{
    [Test]
    public void Every_verb_class_is_listed_once()
    {
        var classes = typeof(ICliVerb).Assembly.GetTypes()
            .Where(t => typeof(ICliVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.That(CliDispatcher.Verbs.Select(v => v.GetType().Name).Order(StringComparer.Ordinal), Is.EqualTo(classes));
        Assert.That(CliDispatcher.Verbs.Select(v => v.Name), Is.Unique);
    }

    [Test]
    public void The_cli_lists_every_document_inspector_once_edifact_first()
    {
        var classes = typeof(CrossBorderHub.Core.Processing.IDocumentInspector).Assembly.GetTypes()
            .Where(t => typeof(CrossBorderHub.Core.Processing.IDocumentInspector).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => t.Name).Order(StringComparer.Ordinal);
        var listed = CliHub.Inspectors(new CrossBorderHub.Core.Configuration.HubOptions());
        Assert.That(listed.Select(i => i.GetType().Name).Order(StringComparer.Ordinal), Is.EqualTo(classes));
        Assert.That(listed[0], Is.InstanceOf<CrossBorderHub.Core.Edifact.EdifactInspector>());
    }

    [Test]
    public async Task An_unknown_verb_exits_2_and_help_lists_the_verbs()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.That(await CliDispatcher.RunAsync(["frobnicate"], output, error), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("unknown verb 'frobnicate'"));
        Assert.That(await CliDispatcher.RunAsync(["help"], output, error), Is.EqualTo(0));
        Assert.That(output.ToString(), Does.Contain("validate FILE|FOLDER...").And.Contain("to-edi"));
    }
}
