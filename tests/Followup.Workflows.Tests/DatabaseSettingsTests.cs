using Followup.Workflows.Persistence;
using Npgsql;
using Xunit;

namespace Followup.Workflows.Tests;

public sealed class DatabaseSettingsTests
{
    [Fact]
    public void Postgres_PreparesRepeatedStatements_UnlessTheConnectionStringSaysOtherwise()
    {
        static int Prepared(WorkflowDatabase database) => new NpgsqlConnectionStringBuilder(database.ConnectionString).MaxAutoPrepare;

        var configured = WorkflowDatabase.Of("Postgres", "Host=db.internal;Database=followup;Username=followup");
        Assert.Equal(DatabaseProvider.Postgres, configured.Provider);
        Assert.Equal(WorkflowDatabase.AutoPreparedStatements, Prepared(configured));
        Assert.Equal("db.internal", new NpgsqlConnectionStringBuilder(configured.ConnectionString).Host);

        // Behind a pooler that hands each transaction another server connection, the operator turns it off.
        Assert.Equal(0, Prepared(WorkflowDatabase.Of("postgresql", "Host=pgbouncer;Database=followup;Max Auto Prepare=0")));
        Assert.Equal(20, Prepared(WorkflowDatabase.Postgres("Host=db;Database=followup;maxautoprepare=20")));
    }

    [Fact]
    public void Sqlite_KeepsItsConnectionStringAsGiven()
    {
        var database = WorkflowDatabase.Of(null, "Data Source=followup.db");
        Assert.Equal(DatabaseProvider.Sqlite, database.Provider);
        Assert.Equal("Data Source=followup.db", database.ConnectionString);
        Assert.Throws<ArgumentException>(() => WorkflowDatabase.Of("Oracle", "Data Source=x"));
    }
}
