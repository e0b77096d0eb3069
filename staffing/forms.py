"""Form rendering shared by every page: our field template with label, help and errors."""

from django.forms.renderers import TemplatesSetting


class DeskFormRenderer(TemplatesSetting):
    """Renders `{{ field.as_field_group }}` with templates/includes/field.html."""

    field_template_name = "includes/field.html"
