namespace CrossBorderHub.Testing;

/// <summary>A fixture whose every test gets a new temp folder (<see cref="Folder"/>), removed after it.</summary>
public abstract class TempFolderTests(string prefix)
{
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateTempFolder() => Folder = Directory.CreateTempSubdirectory(prefix).FullName;

    [TearDown]
    public void DeleteTempFolder() => TempFolder.Delete(Folder);
}
