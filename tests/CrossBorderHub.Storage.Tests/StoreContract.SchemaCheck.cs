namespace CrossBorderHub.Storage.Tests;

/// <summary>A store an older hub version created: the missing column is named with the fix, not a database error at the first insert.</summary>
public abstract partial class StoreContract
{
    [Test]
    public async Task An_older_documents_table_without_a_new_column_is_named_at_migration_with_the_fix()
    {
        var dialect = await CreateDialectAsync();
        await using (var connection = dialect.CreateConnection())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE hub_documents (id INTEGER NOT NULL, message_id TEXT NOT NULL, document_number TEXT NOT NULL)";
            await command.ExecuteNonQueryAsync();
        }
        var error = Assert.ThrowsAsync<StoreSchemaException>(() => new StoreSchema(dialect).MigrateAsync(CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("hub_documents was created by an older hub version and has no column message_index")
            .And.Contain("DROP TABLE hub_documents; DROP TABLE hub_document_keys;"));
    }
}
