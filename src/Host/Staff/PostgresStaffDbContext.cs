using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Followup.Host.Staff;

public sealed class PostgresStaffDbContext(DbContextOptions<PostgresStaffDbContext> options) : StaffDbContext(options);
