"""``{% dossier_result_list cl %}``: Django's ``{% result_list cl %}`` (same template, same markup) with the rows
drawn by reviews.admin.rows, for the dossier list."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from reviews.admin import rows

register = template.Library()


@register.tag(name="dossier_result_list")
def dossier_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=rows.result_list, template_name="change_list_results.html", takes_context=False
    )
