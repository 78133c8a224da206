using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Activities.Data;

public sealed class PostgresDealershipDesignFactory : IDesignTimeDbContextFactory<PostgresDealershipDbContext>
{
    public PostgresDealershipDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresDealershipDbContext>().UseNpgsql("Host=localhost;Database=followup_design").Options);
}
