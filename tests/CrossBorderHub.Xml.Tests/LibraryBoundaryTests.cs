namespace CrossBorderHub.Xml.Tests;

/// <summary>The XML library stays a format library: the dependency rule (Core -> Xml, never back) holds in the binary.</summary>
public sealed class LibraryBoundaryTests
{
    [Test]
    public void TheXmlLibraryReferencesNoOtherAssemblyOfTheHub()
    {
        var ours = typeof(SafeXml).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => name.StartsWith("CrossBorderHub", StringComparison.Ordinal));
        Assert.That(ours, Is.Empty, "CrossBorderHub.Xml must reference nothing of ours (docs/architecture.md)");
    }

    [Test]
    public void TheXmlLibraryNeedsNoLoggingOrDependencyInjection()
    {
        var names = typeof(SafeXml).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");
        Assert.That(names, Has.None.StartsWith("Microsoft.Extensions"), "a pure library: no DI, no logging, no options");
    }
}
