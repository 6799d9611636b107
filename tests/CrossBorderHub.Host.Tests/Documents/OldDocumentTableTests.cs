using Microsoft.Data.Sqlite;

namespace CrossBorderHub.Host.Tests.Documents;

/// <summary>
/// A store an older hub version created keeps its old hub_documents table (CREATE TABLE IF NOT EXISTS): the hub
/// names the table, the missing column and the fix in one line, exit 2, instead of a database stack trace.
/// </summary>
[NonParallelizable]
public sealed class OldDocumentTableTests
{
    [Test]
    public async Task An_older_documents_table_stops_the_cli_with_one_line_naming_the_column_and_the_fix()
    {
        await using var hub = new HubProcess();
        Directory.CreateDirectory(hub.Data);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(hub.Data, "hub.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE hub_documents (id INTEGER PRIMARY KEY, message_id TEXT NOT NULL, document_type TEXT NOT NULL, document_number TEXT NOT NULL)";
            await command.ExecuteNonQueryAsync();
        }
        var result = await hub.CliAsync("documents", "--number", "DEC0001");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error.Trim(), Is.EqualTo("hub documents: the store's table hub_documents was created by an older hub version and has no column message_index: " +
            "drop the document tables (DROP TABLE hub_documents; DROP TABLE hub_document_keys; DROP TABLE hub_document_daily;) and start again: they are filled again by new traffic, messages are kept."));
    }
}
