using System.Security.Claims;
using CrossBorderHub.Core.Security;

namespace CrossBorderHub.Host.Admin.Security;

/// <summary>
/// One authorization policy per level of the admin web. Each lists every role that has it: the roles are levels
/// (viewer ⊂ operator ⊂ admin), verifier stands apart (it may only verify documents, which every level may too).
/// </summary>
internal static class AdminPolicies
{
    public const string Viewer = "hub-viewer";
    public const string Operator = "hub-operator";
    public const string Admin = "hub-admin";
    public const string Verifier = "hub-verifier";

    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>
    {
        [Viewer] = [HubRoles.Viewer, HubRoles.Operator, HubRoles.Admin],
        [Operator] = [HubRoles.Operator, HubRoles.Admin],
        [Admin] = [HubRoles.Admin],
        [Verifier] = [HubRoles.Verifier, HubRoles.Viewer, HubRoles.Operator, HubRoles.Admin],
    };

    public static ClaimsPrincipal Principal(HubUser user, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)], scheme));
}
