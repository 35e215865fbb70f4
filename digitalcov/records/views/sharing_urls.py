"""URLs of the records sharing pages (included by records/urls.py): the partner's lookup and the
information governance pages."""

from django.urls import path

from . import sharing, sharing_partner

urlpatterns = [
    path("partner/", sharing_partner.partner_lookup, name="partner-lookup"),
    path("sharing/agreements/", sharing.agreement_list, name="sharing-agreements"),
    path("sharing/agreements/new/", sharing.agreement_new, name="sharing-agreement-new"),
    path("sharing/agreements/<int:pk>/", sharing.agreement_detail, name="sharing-agreement"),
    path("sharing/agreements/<int:pk>/revoke/", sharing.agreement_revoke, name="sharing-agreement-revoke"),
    path("sharing/partners/", sharing.partner_list, name="sharing-partners"),
    path("sharing/access-log/", sharing.access_log, name="sharing-log"),
    path("sharing/access-log.csv", sharing.access_log_csv, name="sharing-log-csv"),
]
