"""/api/v1/cms/pages/, /api/v1/cms/images/, /api/v1/cms/documents/ (Wagtail API v2)."""

from wagtail.api.v2.router import WagtailAPIRouter

from .views import CmsDocumentsAPIViewSet, CmsImagesAPIViewSet, CmsPagesAPIViewSet

app_name = "cms"

router = WagtailAPIRouter("api:cms")
router.register_endpoint("pages", CmsPagesAPIViewSet)
router.register_endpoint("images", CmsImagesAPIViewSet)
router.register_endpoint("documents", CmsDocumentsAPIViewSet)

urlpatterns = router.get_urlpatterns()
