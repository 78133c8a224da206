using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Followup.Host.Staff;

/// <summary>A member of staff who signs in: a manager, an advisor, a technician or a callback agent.</summary>
public sealed class StaffUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>zh-CN or en: the language of the staff pages for this person.</summary>
    public string Language { get; set; } = "zh-CN";
}
