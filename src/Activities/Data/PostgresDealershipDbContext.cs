using Microsoft.EntityFrameworkCore;

namespace Followup.Activities.Data;

public sealed class PostgresDealershipDbContext(DbContextOptions<PostgresDealershipDbContext> options) : DealershipDbContext(options);
