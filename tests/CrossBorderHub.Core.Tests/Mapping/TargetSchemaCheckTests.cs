using CrossBorderHub.Xml.Tests;

namespace CrossBorderHub.Core.Tests.Mapping;

/// <summary>
/// A declarative mapping's XML names are checked against the schema pack's XSD when it loads: the output tree of an
/// EDIFACT -> XML mapping (each element a child its parent's type allows, each attribute declared), and the names in
/// the XPaths of an XML -> EDIFACT mapping. Every wrong name is an error at its file:line:column with the fix.
/// </summary>
public sealed class TargetSchemaCheckTests
{
    private string _root = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"mappings-xsd-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    /// <summary>A copy of a shipped mapping with <paramref name="edit"/> applied to its rules file; the load errors.</summary>
    private (IReadOnlyList<MappingLoadError> Errors, string Rules) LoadEdited(string shipped, Func<string, string> edit)
    {
        var from = Path.Combine(XmlSamples.RepositoryRoot, "mappings", shipped);
        var to = Directory.CreateDirectory(Path.Combine(_root, shipped)).FullName;
        File.Copy(Path.Combine(from, "mapping.json"), Path.Combine(to, "mapping.json"));
        var rules = edit(File.ReadAllText(Path.Combine(from, "rules.json")));
        File.WriteAllText(Path.Combine(to, "rules.json"), rules);
        File.Copy(Path.Combine(XmlSamples.RepositoryRoot, "mappings", "declarative.schema.json"), Path.Combine(_root, "declarative.schema.json"));
        var catalog = new MappingCatalog(_root, MappingCatalog.Compilers(DeclarativeMappingTests.EdifactRoot)).Load();
        return (catalog.Errors, Path.Combine(to, "rules.json"));
    }

    private static (int Line, int Column) Position(string file, string text)
    {
        var lines = File.ReadAllLines(file);
        var line = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return (line + 1, lines[line].IndexOf(text, StringComparison.Ordinal) + 1);
    }

    [Test]
    public void The_shipped_mappings_name_only_elements_and_attributes_their_XSDs_declare()
    {
        foreach (var shipped in new[] { "cusdec-d96b-to-wco-dec", "wco-dec-to-cusdec-d96b", "sancrt-d96b-to-ephyto-sps" })
        {
            Assert.That(LoadEdited(shipped, r => r).Errors, Is.Empty, shipped);
            Directory.Delete(Path.Combine(_root, shipped), recursive: true);
            File.Delete(Path.Combine(_root, "declarative.schema.json"));
        }
    }

    [Test]
    public void A_wrong_element_and_a_wrong_attribute_in_the_output_are_each_an_error_at_their_position_with_the_closest_name()
    {
        var (errors, rules) = LoadEdited("cusdec-d96b-to-wco-dec", r => r
            .Replace("\"d:FunctionalReferenceID\"", "\"d:FunctionalReferenceId\"", StringComparison.Ordinal)
            .Replace("\"currencyID\"", "\"currencyCode\"", StringComparison.Ordinal)
            .Replace("\"d:DeclarationOfficeID\"", "\"d:OfficeID\"", StringComparison.Ordinal));

        Assert.That(errors, Has.Count.EqualTo(3), string.Join("\n", errors));
        var (line, column) = Position(rules, "\"d:FunctionalReferenceId\"");
        Assert.That(errors[0].ToString(), Does.StartWith($"{rules}:{line}:{column}: element 'd:FunctionalReferenceId' (urn:wco:datamodel:WCO:DEC-DMS:2) is not an element of d:Declaration in the wco-dec XSD.")
            .And.Contain("Fix: use one of: d:FunctionalReferenceID (closest)"));
        Assert.That(errors.Select(e => e.Problem), Has.Some.StartsWith("attribute 'currencyCode' is not an attribute of d:InvoiceAmount in the wco-dec XSD."));
        Assert.That(errors.Single(e => e.Problem.Contains("currencyCode")).Fix, Does.StartWith("use one of: currencyID (closest)"));
        Assert.That(errors.Single(e => e.Problem.Contains("d:OfficeID")).Fix, Does.Contain("d:DeclarationOfficeID"));
    }

    [Test]
    public void A_root_the_pack_does_not_declare_is_an_error_naming_its_document_elements()
    {
        var (errors, _) = LoadEdited("cusdec-d96b-to-wco-dec", r => r.Replace("\"element\": \"d:Declaration\"", "\"element\": \"d:Declaraton\"", StringComparison.Ordinal));
        Assert.That(errors.Single().Problem, Does.StartWith("'d:Declaraton' (urn:wco:datamodel:WCO:DEC-DMS:2) is not an element the wco-dec XSD declares at the top level"));
        Assert.That(errors.Single().Fix, Does.StartWith("use one of: d:Declaration (closest)"));
    }

    [Test]
    public void A_wrong_name_in_an_XPath_of_an_XML_to_EDIFACT_mapping_is_an_error_at_that_value()
    {
        var (errors, rules) = LoadEdited("wco-dec-to-cusdec-d96b", r => r.Replace("/d:Declaration/d:Declarant/d:ID\"", "/d:Declaration/d:Declarent/d:ID\"", StringComparison.Ordinal));
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        var (line, _) = Position(rules, "d:Declarent");
        Assert.That(errors[0].Line, Is.EqualTo(line));
        Assert.That(errors[0].Problem, Does.Contain("names d:Declarent, which the wco-dec XSD does not declare"));
    }
}
