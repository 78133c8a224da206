using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Followup.Host.Security;

public static class Roles
{
    public const string Manager = "Manager";
    public const string Advisor = "Advisor";
    public const string Technician = "Technician";
    public const string CallbackAgent = "CallbackAgent";

    /// <summary>The technician who takes comebacks (技术主管): finds the root cause of a repeat concern.</summary>
    public const string TechnicalLead = "TechnicalLead";

    public static readonly string[] All = [Manager, Advisor, Technician, TechnicalLead, CallbackAgent];

    /// <summary>Who talks to customers and so sees their contact details and messages; technicians work on the car.</summary>
    public static readonly string[] CustomerContact = [Manager, Advisor, CallbackAgent];
}
